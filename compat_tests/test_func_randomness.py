"""vmap's randomness='same'|'different': the values equal torch's after manual_seed where torch's batched
draw takes the same numbers from the CPU stream as minitorch's draws example by example (see the report in
minitorch/func/_vmap.py's docstring for the cases that differ), and the stream is left where torch leaves it."""
import pytest

from transcript import check_scenario

DRAWS = {
    "rand": lambda T, a: a + T.rand(3),
    "randn": lambda T, a: a + T.randn(3),
    "randn16": lambda T, a: a[:1] + T.randn(16),  # vectorized path, per example as for the batch
    "randint": lambda T, a: a + T.randint(0, 10, (3,)),
    "rand_like": lambda T, a: a + T.rand_like(a),
    "randn_like": lambda T, a: a + T.randn_like(a),
    "dropout": lambda T, a: T.nn.functional.dropout(a + 1, 0.5),
    "normal_": lambda T, a: a.clone().normal_(),
    "uniform_": lambda T, a: a.clone().uniform_(),
    "randperm": lambda T, a: a + T.randperm(3),
    "multinomial": lambda T, a: T.multinomial(a + 1, 2).to(a.dtype),
}


@pytest.mark.parametrize("randomness", ["same", "different"])
def test_vmap_random_values(randomness):
    def scenario(T, log):
        for name, draw in DRAWS.items():
            if randomness == "same" and name == "multinomial":
                continue  # torch refuses a batched input to a random op under 'same' (minitorch does not: see report)
            T.manual_seed(0)
            log(name, T.func.vmap(lambda a: draw(T, a), randomness=randomness)(T.zeros(4, 3)), T.rand(2))
        T.manual_seed(0)
        log.attempt(lambda: T.func.vmap(lambda a: a + T.randn(3))(T.zeros(4, 3)))  # 'error'
    check_scenario(scenario)
