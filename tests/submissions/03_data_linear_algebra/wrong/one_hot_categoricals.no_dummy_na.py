def one_hot_categoricals(df):
    """Return df with each text column replaced by one indicator column per category + _nan."""
    return pd.get_dummies(df)
