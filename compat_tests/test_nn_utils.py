"""nn.utils: gradient clipping, parameter/vector conversion, batch-norm fusion, skip_init and the conv
weight memory-format conversion, differential against torch."""
import pytest

from transcript import check_scenario



def _model_with_grads(T):
    T.manual_seed(0)
    model = T.nn.Sequential(T.nn.Linear(4, 3), T.nn.ReLU(), T.nn.Linear(3, 2))
    model(T.randn(5, 4)).pow(2).sum().backward()
    return model


@pytest.mark.parametrize("norm_type", [2.0, 1.0, "inf", 3.0])
@pytest.mark.parametrize("max_norm", [0.1, 1e6])
def test_clip_grad_norm(norm_type, max_norm):
    def scenario(T, log):
        model = _model_with_grads(T)
        log(T.nn.utils.clip_grad_norm_(model.parameters(), max_norm, norm_type=norm_type))
        log(*[p.grad for p in model.parameters()])
    check_scenario(scenario)


def test_clip_grad_edge_cases():
    def scenario(T, log):
        p = T.nn.Parameter(T.ones(3))
        log(T.nn.utils.clip_grad_norm_([p], 1.0))  # no grads at all
        p.grad = T.tensor([3.0, 4.0, 0.0])
        log(T.nn.utils.clip_grad_norm_(p, 1.0), p.grad)  # a single tensor, not a list
        p.grad = T.tensor([float("nan"), 1.0, 1.0])
        log.attempt(lambda: T.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True))
        log(T.nn.utils.clip_grad_norm_([p], 1.0), p.grad)
        p.grad = T.tensor([3.0, -4.0, 0.5])
        log(T.nn.utils.clip_grad_value_([p], 1.0), p.grad)
    check_scenario(scenario)


def test_parameters_vector_round_trip():
    def scenario(T, log):
        model = _model_with_grads(T)
        vec = T.nn.utils.parameters_to_vector(model.parameters())
        log(vec)
        T.nn.utils.vector_to_parameters(vec * 2, model.parameters())
        log(*[p.detach() for p in model.parameters()])
        log.attempt(lambda: T.nn.utils.vector_to_parameters([1.0], model.parameters()))
    check_scenario(scenario)


def test_clip_grad_norm_in_two_steps_and_deprecated_alias():
    def scenario(T, log):
        model = _model_with_grads(T)
        grads = [p.grad for p in model.parameters()]
        total = T.nn.utils.get_total_norm(grads, norm_type=3.0)
        log(total, T.nn.utils.get_total_norm([]), T.nn.utils.get_total_norm(grads[0], "inf"))
        T.nn.utils.clip_grads_with_norm_(model.parameters(), 0.5, total)
        log(*[p.grad for p in model.parameters()])
        log(T.nn.utils.clip_grad_norm(model.parameters(), 0.1), *[p.grad for p in model.parameters()])
        log(T.nn.utils.clip_grad_norm_((p for p in []), 1.0))  # an empty generator warns
        log.attempt(lambda: T.nn.utils.get_total_norm([T.tensor([float("inf")])], error_if_nonfinite=True))
    check_scenario(scenario)


def _conv_bn(T, conv, bn, x_shape):
    T.manual_seed(1)
    layer, norm = conv, bn
    norm.train()
    for _ in range(2):  # running statistics away from their initial values
        norm(layer(T.randn(*x_shape)))
    with T.no_grad():
        norm.weight.mul_(1.5)
        norm.bias.add_(0.3)
    layer.eval()
    norm.eval()
    return layer, norm


def test_fuse_batch_norm():
    def scenario(T, log):
        T.manual_seed(0)
        conv, bn = _conv_bn(T, T.nn.Conv2d(2, 3, 2), T.nn.BatchNorm2d(3), (4, 2, 5, 5))
        x = T.randn(2, 2, 4, 4)
        fused = T.nn.utils.fuse_conv_bn_eval(conv, bn)
        log(repr(fused), fused(x), bn(conv(x)), type(fused.weight).__name__, fused.weight.requires_grad)
        linear, bn1 = _conv_bn(T, T.nn.Linear(3, 4, bias=False), T.nn.BatchNorm1d(4), (6, 3))
        y = T.randn(5, 3)
        fused_linear = T.nn.utils.fuse_linear_bn_eval(linear, bn1)
        log(repr(fused_linear), fused_linear(y), bn1(linear(y)))
        w, b = T.nn.utils.fuse_conv_bn_weights(conv.weight, None, bn.running_mean, bn.running_var, 1e-3, None, None,
                                               transpose=False)
        log(w, b, *T.nn.utils.fuse_conv_bn_weights(T.ones(2, 3, 2), None, T.zeros(3), T.ones(3), 1e-5, None, None,
                                                    transpose=True))
        log(*T.nn.utils.fuse_linear_bn_weights(linear.weight, None, bn1.running_mean, bn1.running_var, 1e-5,
                                               bn1.weight, bn1.bias))
        log.attempt(lambda: T.nn.utils.fuse_conv_bn_eval(T.nn.Conv2d(2, 3, 2), bn))
        log.attempt(lambda: T.nn.utils.fuse_linear_bn_eval(linear, T.nn.BatchNorm1d(3).eval()))
        log.attempt(lambda: T.nn.utils.fuse_linear_bn_eval(linear, T.nn.BatchNorm1d(4, track_running_stats=False)
                                                           .eval()))
    check_scenario(scenario)


def test_skip_init_draws_nothing():
    def scenario(T, log):
        T.manual_seed(0)
        m = T.nn.utils.skip_init(T.nn.Linear, 4, 3, bias=False)
        log(repr(m), m.weight.shape, T.rand(2))  # the same draw as without the skip_init
        log.attempt(lambda: T.nn.utils.skip_init(T.nn.ReLU))
        log.attempt(lambda: T.nn.utils.skip_init(int))
    check_scenario(scenario)


def test_convert_conv_weight_memory_format():
    """minitorch has no memory format objects (or layouts): the conversion keeps the Parameter and its
    values, as torch's does; torch's channels_last strides are not modelled."""
    def scenario(T, log):
        T.manual_seed(0)
        model = T.nn.Sequential(T.nn.Conv2d(2, 3, 2), T.nn.Sequential(T.nn.Conv3d(1, 1, 1)), T.nn.Linear(2, 2))
        before = [p for p in model.parameters()]
        fmt2 = T.channels_last if T.__name__ == "torch" else None
        fmt3 = T.channels_last_3d if T.__name__ == "torch" else None
        converted = T.nn.utils.convert_conv3d_weight_memory_format(
            T.nn.utils.convert_conv2d_weight_memory_format(model, fmt2), fmt3)
        log(converted is model, [a is b for a, b in zip(before, model.parameters())], *model.parameters())
    check_scenario(scenario)
