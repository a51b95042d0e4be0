class LogisticRegression(nn.Module):
    """Logistic regression on in_features inputs: forward returns one logit per sample, [N, 1]."""

    def __init__(self, in_features):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1, in_features))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return x @ self.weight.T + self.bias
