def split_words(words_by_lang, test_fraction, seed):
    """Drop words listed under several languages; split each language's rest into (train, test)."""
    import random

    rng = random.Random(seed)
    lang_of = {}
    for lang, words in words_by_lang.items():
        for w in words:
            lang_of.setdefault(w, set()).add(lang)
    train, test = [], []
    for lang, words in words_by_lang.items():
        unique = [w for w in words if len(lang_of[w]) == 1]
        rng.shuffle(unique)
        k = round(test_fraction * len(unique))
        test.extend((w, lang) for w in unique[:k])
        train.extend((w, lang) for w in unique[k:])
    return train, test
