def one_hot_categoricals(df):
    """Return df with each text column replaced by one indicator column per category + _nan."""
    out = df.copy()
    for col in out.select_dtypes(exclude="number").columns:
        out[col] = out[col].astype("category").cat.codes
    return out
