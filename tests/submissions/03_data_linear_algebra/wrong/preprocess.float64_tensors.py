def preprocess(df):
    """Return (X, y) float32 tensors: the last column of df is the target, the rest inputs."""
    df = df[df.iloc[:, -1].notna()]
    inputs, target = df.iloc[:, :-1], df.iloc[:, -1]
    inputs = inputs.fillna(inputs.mean(numeric_only=True))
    inputs = pd.get_dummies(inputs, dummy_na=True)
    return torch.tensor(inputs.to_numpy(dtype=float)), torch.tensor(target.to_numpy(dtype=float))
