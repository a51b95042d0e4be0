def corr2d(x, kernel):
    """Return the 2-D cross-correlation of x [H, W] with kernel [kh, kw]: [H-kh+1, W-kw+1]."""
    kh, kw = kernel.shape
    windows = x.unfold(0, kh, 1).unfold(1, kw, 1)     # [H-kh+1, W-kw+1, kh, kw] sliding windows
    return (windows * kernel).sum(dim=(-2, -1))
