class TableDataset(Dataset):
    """Rows of a table: sample i is (features[i], targets[i]), both float32 tensors."""

    def __init__(self, features, targets):
        self.features = torch.as_tensor(features, dtype=torch.float32)
        self.targets = torch.as_tensor(targets, dtype=torch.float32)

    def __len__(self):
        return self.features.shape[1]

    def __getitem__(self, i):
        return self.features[i], self.targets[i]
