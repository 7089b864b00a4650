"""nn.utils: gradient clipping and parameter/vector conversion, differential against torch."""
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
