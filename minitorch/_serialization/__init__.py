"""The machinery behind ``minitorch.serialization`` (torch.save / torch.load), one job per module:

- ``zip_writer`` / ``zip_reader``: torch's zip container, byte for byte / with torch's checks
- ``storage``: the buffers tensors view, and tensors rebuilt over them with torch's bounds checks
- ``rebuild``: Tensor and Parameter pickling, copy and deepcopy; the ``torch._utils._rebuild_*`` functions
- ``torch_names``: the torch globals a checkpoint names, bound to minitorch's objects
- ``pickler``: the checkpoint's pickle, written under torch's names
- ``weights_only``: the allow-list unpickler (``weights_only=True``) and the user's allow-list
- ``full_unpickler``: ``weights_only=False``
- ``locations``: ``map_location``
- ``zip_checkpoint`` / ``legacy``: the two file formats
- ``errors``: torch's message texts
"""
