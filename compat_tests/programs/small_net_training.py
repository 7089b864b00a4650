# A small classifier trained with CrossEntropyLoss and SGD with momentum on a fixed random batch,
# then evaluated under no_grad: the losses and the accuracy must match torch's.
import torch
import torch.nn as nn
import torch.optim as optim


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 16)
        self.out = nn.Linear(16, 4)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(torch.flatten(x, 1))))


torch.manual_seed(0)
model = Classifier()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
print(model)
print(sum(p.numel() for p in model.parameters()), [n for n, _ in model.named_parameters()])

inputs = torch.randn(16, 4, 5)
labels = torch.randint(0, 4, (16,))
for step in range(6):
    optimizer.zero_grad()
    loss = criterion(model(inputs), labels)
    loss.backward()
    optimizer.step()
    print(step, round(loss.item(), 4))

with torch.no_grad():
    predicted = model(inputs).argmax(dim=1)
print(predicted, (predicted == labels).float().mean())
