def conv_output_size(size, kernel_size, padding=0, stride=1):
    """Return floor((size + 2 * padding - kernel_size) / stride) + 1 as an int."""
    return (size + 2 * padding - kernel_size) / stride + 1
