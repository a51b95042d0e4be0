def checkerboard(n):
    """Return an n x n float32 tensor, 1.0 where row + column is even, else 0.0."""
    board = torch.zeros(n, n)
    board[::2, ::2] = 1.0
    return board
