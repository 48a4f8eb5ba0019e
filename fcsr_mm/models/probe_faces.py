"""The made-up input of exports, speed and cost measurements: random 32x32
faces with a centred hole (one definition, so every tool measures the same
workload)."""
import torch


def probe_faces(batch: int, size: int = 32, seed: int = 0,
                device: str = 'cpu'):
    """``batch`` random faces in [-1, 1] and their masks: a centred hole of
    half the side (1 = hole).

    Args:
        batch (int): Number of faces.
        size (int): Side in pixels. Default: 32.
        seed (int): Seed of the faces (the global random state is left
            alone). Default: 0.
        device (str): Where the tensors are made. Default: 'cpu'.

    Returns:
        tuple[Tensor, Tensor]: ``(batch, 3, size, size)`` faces and
        ``(batch, 1, size, size)`` masks.
    """
    g = torch.Generator().manual_seed(seed)
    img = torch.rand(batch, 3, size, size, generator=g) * 2 - 1
    mask = torch.zeros(batch, 1, size, size)
    q = size // 4
    mask[..., q:q + size // 2, q:q + size // 2] = 1
    return img.to(device), mask.to(device)
