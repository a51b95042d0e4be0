def preprocess(df):
    """Return (X, y) float32 tensors: the last column of df is the target, the rest inputs."""
    inputs = df.iloc[:, :-1]
    inputs = inputs.fillna(inputs.mean(numeric_only=True))
    keep = df.iloc[:, -1].notna()
    inputs, target = inputs[keep], df.iloc[:, -1][keep]
    inputs = pd.get_dummies(inputs, dummy_na=True)
    X = torch.tensor(inputs.to_numpy(dtype=np.float32))
    y = torch.tensor(target.to_numpy(dtype=np.float32))
    return X, y
