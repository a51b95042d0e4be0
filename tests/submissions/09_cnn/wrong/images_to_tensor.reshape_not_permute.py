def images_to_tensor(images):
    """Return uint8 images [N, H, W, C] as float32 [N, C, H, W] in [0, 1]."""
    n, h, w, c = images.shape
    return images.reshape(n, c, h, w).float() / 255
