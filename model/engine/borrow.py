"""Arrays lent to a compiled run's kernels without reference counts: :func:`borrowed` and :func:`held`.

numba gives every array a reference count and changes it atomically (a
``lock``-prefixed instruction) each time the array enters or leaves a
compiled kernel, or a view of one of its rows is taken. A run of
``italian_plan_2022`` does so some 30,000 times, because its kernels pass
the run's state and workspace (about thirty small arrays) to one another a
few hundred times a round, and numba's pruning of counts cannot pair the
ones that cross a call (measured with ``perf`` and ``gdb``,
``docs/performance.md``). The arrays live for the whole run, owned by
:func:`model.engine.whole_run.simulate`, so counting them is wasted work.

:func:`borrowed` gives views of them with no owner attached (numba's
``meminfo`` null, as for the arrays :func:`numba.carray` makes over foreign
memory): the same data, shapes and strides, and numba skips the count of an
array without an owner (its increment and decrement return at once), so
lending them costs a call and a compare where it cost an atomic add.
Nothing else changes: the kernels read and write the same memory, and
every float is the same (``tests/test_engine_parity.py``).

The one rule that comes with it: the owners must outlive the views. The
caller keeps them in a tuple and passes that tuple to :func:`held` after its
last use of any view; numba frees a variable after its last use, so without
that call the owners could be freed while the views are still read. A
borrowed view must never be returned to Python or stored beyond the call
that owns it. Interpreted (the Mesa model, ``NUMBA_DISABLE_JIT``, no
numba), both are the identity and a no-op.

numba has no public way to pass an array without its count; the compiled
form of :func:`borrowed` is a small ``numba.extending.intrinsic``.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from model.engine.jit import compiled_form, kernel

__all__ = ["borrowed", "held"]

T = TypeVar("T")


@kernel
def borrowed(arrays: T) -> T:
    """``arrays`` (an array, or a tuple of arrays, numbers and such tuples) as views without reference counts (module docstring)."""
    return arrays


@kernel
def held(owners: Any) -> None:
    """Keep ``owners`` alive to this point: call it after the last use of the views :func:`borrowed` made of them."""


def _uncounted_intrinsic() -> Any:
    """The compiled form of :func:`borrowed`: a numba intrinsic copying each array's fields but its owner."""
    from numba.core import cgutils, types
    from numba.extending import intrinsic

    def lendable(typ: Any) -> bool:
        if isinstance(typ, types.BaseTuple):
            return all(lendable(item) for item in cast(Any, typ).types)  # numba's stubs miss .types
        return isinstance(typ, (types.Array, types.Number, types.Boolean))

    def view(context: Any, builder: Any, typ: Any, value: Any) -> Any:
        if isinstance(typ, types.Array):
            source = context.make_array(typ)(context, builder, value=value)
            lent = context.make_array(typ)(context, builder)
            for field in ("nitems", "itemsize", "data", "shape", "strides"):
                setattr(lent, field, getattr(source, field))
            lent.meminfo = cgutils.get_null_value(lent.meminfo.type)
            lent.parent = cgutils.get_null_value(lent.parent.type)
            return lent._getvalue()
        if isinstance(typ, types.BaseTuple):
            items = [view(context, builder, item, builder.extract_value(value, i)) for i, item in enumerate(cast(Any, typ).types)]
            return context.make_tuple(builder, typ, items)
        return value  # a number: nothing to count

    @intrinsic
    def uncounted(typingctx: Any, arrays: Any) -> Any:
        if not lendable(arrays):
            return None

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            return view(context, builder, signature.args[0], args[0])

        return arrays(arrays), codegen

    return uncounted


compiled_form(borrowed, _uncounted_intrinsic)
