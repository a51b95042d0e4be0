def preprocess(df):
    """Return (X, y) float32 tensors: the last column of df is the target, the rest inputs."""
    df = df[df.iloc[:, -1].notna()]
    inputs, target = df.iloc[:-1], df.iloc[-1]
    inputs = inputs.fillna(inputs.mean(numeric_only=True))
    inputs = pd.get_dummies(inputs, dummy_na=True)
    X = torch.tensor(inputs.to_numpy(dtype=np.float32))
    y = torch.tensor(target.to_numpy(dtype=np.float32))
    return X, y
