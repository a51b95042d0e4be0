def checkerboard(n):
    """Return an n x n float32 tensor, 1.0 where row + column is even, else 0.0."""
    i = torch.arange(n)
    return ((i[:, None] + i[None, :]) % 2 == 0).to(torch.float32)
