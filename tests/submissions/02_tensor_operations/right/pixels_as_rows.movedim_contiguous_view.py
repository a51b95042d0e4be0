def pixels_as_rows(images):
    """Return a [N*H*W, C] tensor: one row per pixel of images [N, C, H, W], its C channels."""
    n, c, h, w = images.shape
    return images.movedim(1, -1).contiguous().view(n * h * w, c)
