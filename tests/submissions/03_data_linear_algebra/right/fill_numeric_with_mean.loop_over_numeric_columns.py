def fill_numeric_with_mean(df):
    """Return a copy of df with NaNs in numeric columns replaced by that column's mean."""
    out = df.copy()
    for col in df.select_dtypes(include="number").columns:
        out[col] = out[col].fillna(out[col].mean())
    return out
