"""A view's bookkeeping (its base, chain of view steps and version: autograd.history.tie_view) after the tensor it
was made from stopped being a view itself, differential against torch."""
from transcript import check_scenario


def test_a_view_of_a_former_view_replays_from_it():
    def scenario(T, log):
        leaf = T.zeros(6, requires_grad=True)
        v = T.arange(12.).reshape(3, 4)[1]
        v.set_(T.arange(6.))  # v is no one's view any more: its own views start from it
        w = v[2:]
        v.mul_(leaf + 1)  # w's base written in place: w's history is regenerated from its chain
        log("view", w, w.grad_fn)
        (w * T.arange(4.)).sum().backward()
        log("grad", leaf.grad)
    check_scenario(scenario)
