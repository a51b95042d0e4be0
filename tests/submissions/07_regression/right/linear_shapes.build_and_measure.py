def linear_shapes(batch_size, in_features, out_features):
    """Return {'weight': shape, 'bias': shape, 'output': shape} (tuples) for nn.Linear on a batch."""
    layer = nn.Linear(in_features, out_features)
    with torch.no_grad():
        output = layer(torch.zeros(batch_size, in_features))
    return {"weight": tuple(layer.weight.shape), "bias": tuple(layer.bias.shape),
            "output": tuple(output.shape)}
