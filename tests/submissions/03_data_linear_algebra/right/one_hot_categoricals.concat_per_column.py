def one_hot_categoricals(df):
    """Return df with each text column replaced by one indicator column per category + _nan."""
    numeric = df.select_dtypes(include="number")
    parts = [numeric] + [
        pd.get_dummies(df[col], prefix=col, dummy_na=True, dtype=float)
        for col in df.columns
        if col not in numeric.columns
    ]
    return pd.concat(parts, axis=1)
