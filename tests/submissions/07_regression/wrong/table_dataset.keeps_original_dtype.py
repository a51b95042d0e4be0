class TableDataset(Dataset):
    """Rows of a table: sample i is (features[i], targets[i]), both float32 tensors."""

    def __init__(self, features, targets):
        self.features = torch.as_tensor(features)
        self.targets = torch.as_tensor(targets)

    def __len__(self):
        return len(self.features)

    def __getitem__(self, i):
        return self.features[i], self.targets[i]
