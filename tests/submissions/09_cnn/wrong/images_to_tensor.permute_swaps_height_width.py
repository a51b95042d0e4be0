def images_to_tensor(images):
    """Return uint8 images [N, H, W, C] as float32 [N, C, H, W] in [0, 1]."""
    return images.permute(0, 3, 2, 1).float() / 255
