def pixels_as_rows(images):
    """Return a [N*H*W, C] tensor: one row per pixel of images [N, C, H, W], its C channels."""
    return images.transpose(1, 3).reshape(-1, images.shape[1])
