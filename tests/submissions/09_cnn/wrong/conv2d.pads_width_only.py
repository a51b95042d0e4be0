def conv2d(x, weight, bias=None, stride=1, padding=0):
    """Return the convolution (cross-correlation) of x [N, C_in, H, W] with weight [C_out, C_in, kh, kw]."""
    c_out, _, kh, kw = weight.shape
    x = F.pad(x, (padding, padding))                      # pad by `padding` on each side
    n, _, h, w = x.shape                                     # the padded size
    h_out, w_out = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = x.new_zeros(n, c_out, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[:, :, i, j] = (window[:, None] * weight).sum(dim=(2, 3, 4))
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1)
    return out
