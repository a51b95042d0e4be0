def conv2d(x, weight, bias=None, stride=1, padding=0):
    """Return the convolution (cross-correlation) of x [N, C_in, H, W] with weight [C_out, C_in, kh, kw]."""
    return F.conv2d(x, weight, bias, stride=stride, padding=padding)
