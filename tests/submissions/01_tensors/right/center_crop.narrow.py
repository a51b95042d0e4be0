def center_crop(images, size):
    """Return the central size x size crop of a batch of images [N, C, H, W]."""
    top = (images.size(2) - size) // 2
    left = (images.size(3) - size) // 2
    return images.narrow(2, top, size).narrow(3, left, size).clone()
