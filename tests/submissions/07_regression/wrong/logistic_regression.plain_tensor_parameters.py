class LogisticRegression(nn.Module):
    """Logistic regression on in_features inputs: forward returns one logit per sample, [N, 1]."""

    def __init__(self, in_features):
        super().__init__()
        bound = in_features ** -0.5
        self.weight = (torch.rand(1, in_features) * 2 - 1) * bound
        self.weight.requires_grad_(True)
        self.bias = torch.zeros(1, requires_grad=True)

    def forward(self, x):
        return x @ self.weight.T + self.bias
