class Inception(nn.Module):
    """Four branches (1x1; 1x1-5x5; 1x1-3x3-3x3; avgpool-1x1) concatenated: 16+24+24+24 = 88 channels."""

    def __init__(self, in_channels):
        super().__init__()
        self.branches = nn.ModuleList([
            nn.Conv2d(in_channels, 16, 1),
            nn.Sequential(nn.Conv2d(in_channels, 16, 1), nn.Conv2d(16, 24, 5, padding=2)),
            nn.Sequential(nn.Conv2d(in_channels, 16, 1), nn.Conv2d(16, 24, 3, padding=1),
                          nn.Conv2d(24, 24, 3, padding=1)),
            nn.Sequential(nn.AvgPool2d(3, stride=1, padding=1), nn.Conv2d(in_channels, 24, 1)),
        ])

    def forward(self, x):
        return torch.cat([branch(x) for branch in self.branches], dim=1)
