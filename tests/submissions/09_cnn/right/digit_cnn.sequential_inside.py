class DigitCNN(nn.Module):
    """conv1 (1->10, 5x5), pool, ReLU; conv (10->20, 5x5), pool, ReLU; linear 320 -> 10 logits."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.rest = nn.Sequential(
            nn.MaxPool2d(2), nn.ReLU(),
            nn.Conv2d(10, 20, kernel_size=5), nn.MaxPool2d(2), nn.ReLU(),
            nn.Flatten(), nn.Linear(320, 10),
        )

    def forward(self, x):
        return self.rest(self.conv1(x))
