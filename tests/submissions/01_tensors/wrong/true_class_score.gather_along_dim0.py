def true_class_score(scores, labels):
    """Return scores[i, labels[i]] for every row i, as a 1-D tensor of length N."""
    return scores.gather(0, labels.unsqueeze(0)).squeeze(0)
