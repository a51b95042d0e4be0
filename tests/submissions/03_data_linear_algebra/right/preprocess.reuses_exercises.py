def preprocess(df):
    """Return (X, y) float32 tensors: the last column of df is the target, the rest inputs."""
    df = df.dropna(subset=[df.columns[-1]])
    inputs = one_hot_categoricals(fill_numeric_with_mean(df.iloc[:, :-1]))
    return to_float32_tensor(inputs), to_float32_tensor(df.iloc[:, -1])
