"""torch.func.functionalize, debug_unwrap and replace_all_batch_norm_modules_, differential against torch."""
from transcript import check_scenario


def mutating(a):
    b = a.view(-1)
    b.add_(1)
    c = a * 2
    c.mul_(3)
    return a, c, b


def test_functionalize():
    def scenario(T, log):
        F = T.func
        y = T.tensor([1.0, 2.0, 3.0])
        log(F.functionalize(mutating)(y), y)  # the input's mutation is written back
        log(F.functionalize(mutating, remove="mutations_and_views")(y), y)
        log(F.grad(F.functionalize(lambda a: a.clone().mul_(a).sum()))(y))
        log(F.functionalize(F.grad(lambda a: (a.sin() * a).sum()))(y))
        log(F.vmap(F.functionalize(lambda a: a.clone().add_(1).sum()))(T.ones(2, 3)))
        log(F.functionalize(mutating).__name__)
        log.attempt(lambda: F.functionalize(mutating, remove="views"))
    check_scenario(scenario)


def test_debug_unwrap():
    def scenario(T, log):
        F = T.func
        x = T.tensor([1.0, 2.0, 3.0])
        log(F.debug_unwrap(x) is x, F.debug_unwrap(x, recurse=False) is x)
        seen = []
        log(F.grad(lambda a: (seen.append(F.debug_unwrap(a * 2)), a.sum())[1])(x), seen)
        w = T.tensor([1.0, 1.0, 1.0], requires_grad=True)
        log(F.grad(lambda a: (seen.append(F.debug_unwrap(w)), (a * w).sum())[1])(x), seen[-1])
    check_scenario(scenario)


def test_replace_all_batch_norm_modules_():
    def scenario(T, log):
        nn = T.nn
        T.manual_seed(0)
        model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2), nn.Sequential(nn.BatchNorm2d(3)))
        log(T.func.replace_all_batch_norm_modules_(model) is model, repr(model))
        log(model[1].running_mean, model[1].running_var, model[2][0].num_batches_tracked,
            model[1].track_running_stats, list(dict(model.named_buffers())))
        x = T.randn(4, 2)
        log(model[1](x), model[1].eval()(x))  # batch statistics, in eval mode too
        bn = nn.BatchNorm1d(2)
        log(T.func.replace_all_batch_norm_modules_(bn) is bn, bn.running_mean, repr(bn))
        log(repr(T.func.replace_all_batch_norm_modules_(nn.BatchNorm1d(2, track_running_stats=False))))
    check_scenario(scenario)
