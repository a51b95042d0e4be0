def fill_numeric_with_mean(df):
    """Return a copy of df with NaNs in numeric columns replaced by that column's mean."""
    numeric = df.select_dtypes(include="number").columns
    out = df.copy()
    out[numeric] = out[numeric].fillna(np.nanmean(out[numeric].to_numpy(dtype=float)))
    return out
