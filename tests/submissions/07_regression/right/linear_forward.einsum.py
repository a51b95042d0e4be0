def linear_forward(x, weight, bias):
    """Return x @ weight.T + bias for x [N, in], weight [out, in], bias [out]: shape [N, out]."""
    return torch.einsum("ni,oi->no", x, weight) + bias.unsqueeze(0)
