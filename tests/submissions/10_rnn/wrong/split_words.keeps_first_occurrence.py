def split_words(words_by_lang, test_fraction, seed):
    """Drop words listed under several languages; split each language's rest into (train, test)."""
    seen = set()
    generator = torch.Generator().manual_seed(seed)
    train, test = [], []
    for lang, words in words_by_lang.items():
        unique = [w for w in words if w not in seen]
        seen.update(words)
        order = torch.randperm(len(unique), generator=generator).tolist()
        n_test = round(test_fraction * len(unique))
        test += [(unique[i], lang) for i in order[:n_test]]
        train += [(unique[i], lang) for i in order[n_test:]]
    return train, test
