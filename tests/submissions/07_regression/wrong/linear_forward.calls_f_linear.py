def linear_forward(x, weight, bias):
    """Return x @ weight.T + bias for x [N, in], weight [out, in], bias [out]: shape [N, out]."""
    return F.linear(x, weight, bias)
