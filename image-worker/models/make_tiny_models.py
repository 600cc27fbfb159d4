#!/usr/bin/python3
"""Makes the tiny models the image-worker tests and benchmark use, with Debian's python3-torch.

    apt-get install -y python3-torch
    /usr/bin/python3 image-worker/models/make_tiny_models.py image-worker/src/test/resources/models

Writes (each well under 1 MB):
  colour.pt / colour.onnx    a small CNN trained to classify an image as red, green or blue (input 1x3x32x32,
                             ImageNet-style normalisation, output logits [N,3]); labels in colour-labels.txt
  embed.pt / embed.onnx      a small CNN embedding (input 1x3x32x32, output [N,16]); its weights are seeded, not
                             trained: it maps similar images to near vectors, which is all the tests need
Both are exported with a dynamic batch dimension so the worker can run a stacked batch in one forward pass.

With --bench-model DIR it also writes medium.pt / medium.onnx to DIR (not committed, ~1.6 MB): a seeded 4-layer
CNN embedding at 224x224 input (~0.19 GMAC per image, about a tenth of ResNet-18) for the batching benchmark, where
the tiny models only show per-call overhead.
Use the system python (/usr/bin/python3), not a pyenv/venv one: only Debian's python3-torch is installed.
"""
import os
import sys

import torch
import torch.nn as nn

SIZE = 32
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
LABELS = ["red", "green", "blue"]


class ColourNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
            nn.Conv2d(8, 16, 3, padding=1, stride=2), nn.ReLU(),
        )
        self.head = nn.Linear(16, len(LABELS))

    def forward(self, x):
        x = self.features(x)
        x = x.mean(dim=(2, 3))
        return self.head(x)


class EmbedNet(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1, stride=2), nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=1, stride=2), nn.ReLU(),
        )
        self.proj = nn.Linear(32, dim)

    def forward(self, x):
        x = self.features(x)
        x = x.mean(dim=(2, 3))
        return self.proj(x)


class MediumNet(nn.Module):
    def __init__(self, dim=128):
        super().__init__()
        layers, c = [], 3
        for out in (32, 64, 128, 256):
            layers += [nn.Conv2d(c, out, 3, padding=1, stride=2), nn.ReLU()]
            c = out
        self.features = nn.Sequential(*layers)
        self.proj = nn.Linear(256, dim)

    def forward(self, x):
        return self.proj(self.features(x).mean(dim=(2, 3)))


def normalise(batch):
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (batch - mean) / std


def colour_batch(n, gen):
    """Images that are mostly one primary colour, with noise, tints and a random rectangle of clutter."""
    labels = torch.randint(0, 3, (n,), generator=gen)
    base = torch.rand(n, 3, 1, 1, generator=gen) * 0.35
    strong = 0.6 + torch.rand(n, generator=gen) * 0.4
    for i in range(n):
        base[i, labels[i], 0, 0] = strong[i]
    img = base.expand(n, 3, SIZE, SIZE).clone()
    img += torch.randn(n, 3, SIZE, SIZE, generator=gen) * 0.08
    for i in range(n):
        x, y = torch.randint(0, SIZE - 8, (2,), generator=gen).tolist()
        img[i, :, y:y + 8, x:x + 8] = torch.rand(3, 1, 1, generator=gen)
    return normalise(img.clamp(0, 1)), labels


def train_colour():
    gen = torch.Generator().manual_seed(7)
    torch.manual_seed(7)
    net = ColourNet()
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    for step in range(300):
        x, y = colour_batch(64, gen)
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        x, y = colour_batch(1000, gen)
        acc = (net(x).argmax(1) == y).float().mean().item()
    print(f"colour classifier: final loss {loss.item():.4f}, held-out accuracy {acc:.3f}")
    if acc < 0.98:
        sys.exit("colour classifier did not train well enough")
    return net


def export(net, out_dir, name, size=SIZE):
    example = torch.rand(1, 3, size, size)
    traced = torch.jit.trace(net, example)
    pt = os.path.join(out_dir, name + ".pt")
    traced.save(pt)
    onnx = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(net, example, onnx, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=13)
    for f in (pt, onnx):
        print(f"wrote {f} ({os.path.getsize(f)} bytes)")


def main():
    args = sys.argv[1:]
    if "--bench-model" in args:
        i = args.index("--bench-model")
        bench_dir = args[i + 1]
        del args[i:i + 2]
        os.makedirs(bench_dir, exist_ok=True)
        torch.manual_seed(5)
        export(MediumNet().eval(), bench_dir, "medium", size=224)
    out_dir = args[0] if args else "."
    os.makedirs(out_dir, exist_ok=True)
    colour = train_colour()
    export(colour, out_dir, "colour")
    with open(os.path.join(out_dir, "colour-labels.txt"), "w") as f:
        f.write("\n".join(LABELS) + "\n")
    torch.manual_seed(11)
    embed = EmbedNet().eval()
    export(embed, out_dir, "embed")


if __name__ == "__main__":
    main()
