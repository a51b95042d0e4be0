def fill_numeric_with_mean(df):
    """Return a copy of df with NaNs in numeric columns replaced by that column's mean."""
    return df.fillna(0)
