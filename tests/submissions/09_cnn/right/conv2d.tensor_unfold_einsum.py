def conv2d(x, weight, bias=None, stride=1, padding=0):
    """Return the convolution (cross-correlation) of x [N, C_in, H, W] with weight [C_out, C_in, kh, kw]."""
    _, _, kh, kw = weight.shape
    padded = F.pad(x, [padding] * 4)
    windows = padded.unfold(2, kh, stride).unfold(3, kw, stride)   # [N, C_in, H_out, W_out, kh, kw]
    out = torch.einsum("nchwij,ocij->nohw", windows, weight)
    if bias is not None:
        out = out + bias[None, :, None, None]
    return out
