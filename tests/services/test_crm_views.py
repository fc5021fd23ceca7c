"""crm_views: the one use-case per CRM request returns the view the surface renders."""

from __future__ import annotations

import pytest

from harness import World
from partnerhub.domain.accounts import Actor
from partnerhub.domain.crm_properties import DEFAULT_PROPERTIES, PropertyDef
from partnerhub.errors import NotFound
from partnerhub.services import crm_properties, crm_views


def _actor(world: World) -> Actor:
    return Actor(account_id=world.alice.account_id, token_id=None, scopes=frozenset())


async def _changed_twice(world: World) -> str:
    """An object whose property_string went from "first" to "second"."""
    actor = _actor(world)
    async with world.runtime.db.transaction(write=True) as uow:
        draft = PropertyDef(name="property_string", label="S", type="string", field_type="text")
        await crm_properties.create(uow, actor, draft=draft)
        created = await crm_views.create_object(uow, actor, values={"property_string": "first"})
        await crm_views.update_object(
            uow, actor, object_id=str(created.record.id), values={"property_string": "second"}
        )
    return str(created.record.id)


async def _read(world: World, object_id: str, show: crm_views.Show) -> crm_views.ObjectView:
    async with world.runtime.db.transaction() as uow:
        return await crm_views.read_object(
            uow, _actor(world), show=show, object_id=object_id, id_property=None, archived=False
        )


async def _batch_read(world: World, *ids: str) -> crm_views.Batch[crm_views.ObjectView]:
    async with world.runtime.db.transaction() as uow:
        return await crm_views.batch_read(
            uow, _actor(world), show=crm_views.Show(), ids=ids, id_property=None, archived=False
        )


class TestReadObject:
    async def test_history_of_the_properties_asked_for(self, world: World) -> None:
        object_id = await _changed_twice(world)
        show = crm_views.Show(("property_string", "nope"), ("property_string", "nope"))
        view = await _read(world, object_id, show)
        assert view.properties == {"property_string": "second"}
        assert view.properties_with_history is not None
        assert list(view.properties_with_history) == ["property_string"]
        versions = view.properties_with_history["property_string"]
        assert [v.value for v in versions] == ["second", "first"]

    async def test_default_properties_and_no_history(self, world: World) -> None:
        view = await _read(world, await _changed_twice(world), crm_views.Show())
        assert tuple(view.properties) == DEFAULT_PROPERTIES
        assert view.properties_with_history is None


class TestWrites:
    async def test_write_answer_shows_every_value(self, world: World) -> None:
        object_id = await _changed_twice(world)
        async with world.runtime.db.transaction(write=True) as uow:
            view = await crm_views.restore_object(uow, _actor(world), object_id=object_id)
        assert view.properties["property_string"] == "second"
        assert set(DEFAULT_PROPERTIES) <= set(view.properties)
        assert list(view.properties) == sorted(view.properties)


class TestBatchRead:
    async def test_some_missing_are_failures(self, world: World) -> None:
        object_id = await _changed_twice(world)
        batch = await _batch_read(world, object_id, "999999")
        assert [v.record.id for v in batch.results] == [int(object_id)]
        assert [f.context for f in batch.failures] == [{"ids": ["999999"]}]

    async def test_all_missing_raise_the_first_error(self, world: World) -> None:
        with pytest.raises(NotFound):
            await _batch_read(world, "999999")
