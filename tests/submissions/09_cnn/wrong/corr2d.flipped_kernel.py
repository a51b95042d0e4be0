def corr2d(x, kernel):
    """Return the 2-D cross-correlation of x [H, W] with kernel [kh, kw]: [H-kh+1, W-kw+1]."""
    kernel = torch.flip(kernel, dims=(0, 1))   # "convolution flips the kernel"
    kh, kw = kernel.shape
    out = x.new_zeros(x.shape[0] - kh + 1, x.shape[1] - kw + 1)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (x[i : i + kh, j : j + kw] * kernel).sum()
    return out
