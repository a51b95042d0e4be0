def fill_numeric_with_mean(df):
    """Return a copy of df with NaNs in numeric columns replaced by that column's mean."""
    df.fillna(df.mean(numeric_only=True), inplace=True)
    return df
