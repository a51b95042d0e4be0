def pixels_as_rows(images):
    """Return a [N*H*W, C] tensor: one row per pixel of images [N, C, H, W], its C channels."""
    return images.permute(0, 2, 3, 1).view(-1, images.shape[1])
