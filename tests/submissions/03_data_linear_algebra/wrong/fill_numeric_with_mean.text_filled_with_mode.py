def fill_numeric_with_mean(df):
    """Return a copy of df with NaNs in numeric columns replaced by that column's mean."""
    out = df.fillna(df.mean(numeric_only=True))
    for col in out.select_dtypes(exclude="number").columns:
        out[col] = out[col].fillna(out[col].mode()[0])
    return out
