"""A minimal safetensors writer/reader: 8-byte little-endian header length, JSON header, raw little-endian data."""
import json
import struct

import numpy as np
import torch

_DTYPES = {torch.float32: ("F32", np.float32), torch.float16: ("F16", np.float16)}
_NAMES = {"F32": np.float32, "F16": np.float16}


def save(tensors, path, dtype=torch.float32, metadata=None):
    header, blobs, offset = {}, [], 0
    name, np_type = _DTYPES[dtype]
    for key in sorted(tensors):
        arr = tensors[key].detach().to(dtype).cpu().numpy().astype(np.dtype(np_type).newbyteorder("<"), copy=False)
        data = arr.tobytes()
        header[key] = {"dtype": name, "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)  # keep the data 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def load(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        start, end = info["data_offsets"]
        arr = np.frombuffer(data[start:end], dtype=np.dtype(_NAMES[info["dtype"]]).newbyteorder("<"))
        out[key] = torch.from_numpy(arr.astype(np.float32).reshape(info["shape"]))
    return out
