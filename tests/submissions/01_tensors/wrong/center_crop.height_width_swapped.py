def center_crop(images, size):
    """Return the central size x size crop of a batch of images [N, C, H, W]."""
    height, width = images.shape[-2:]
    top, left = (width - size) // 2, (height - size) // 2
    return images[:, :, top : top + size, left : left + size]
