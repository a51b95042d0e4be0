def images_to_tensor(images):
    """Return uint8 images [N, H, W, C] as float32 [N, C, H, W] in [0, 1]."""
    return images.movedim(-1, 1).to(torch.float32).div(255.0)
