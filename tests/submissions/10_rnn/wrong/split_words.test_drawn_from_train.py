def split_words(words_by_lang, test_fraction, seed):
    """Drop words listed under several languages; split each language's rest into (train, test)."""
    lists_with = Counter(w for words in words_by_lang.values() for w in set(words))
    generator = torch.Generator().manual_seed(seed)
    train, test = [], []
    for lang, words in words_by_lang.items():
        unique = [w for w in words if lists_with[w] == 1]
        order = torch.randperm(len(unique), generator=generator).tolist()
        n_test = round(test_fraction * len(unique))
        train += [(w, lang) for w in unique]                    # every word is trained on ...
        test += [(unique[i], lang) for i in order[:n_test]]     # ... and some are tested again
    return train, test
