class TableDataset(Dataset):
    """Rows of a table: sample i is (features[i], targets[i]), both float32 tensors."""

    def __init__(self, features, targets):
        rows = torch.as_tensor(features).float()
        values = torch.as_tensor(targets).float()
        self.samples = list(zip(rows, values, strict=True))

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        return self.samples[i]
