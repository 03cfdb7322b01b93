package io.storefront.manifests;

import java.util.List;
import java.util.Map;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The health Argo CD gives a child Application, computed by the Lua health check of .argocd/config/argocd-cm.yaml
 * ({@code resource.customizations.health.argoproj.io_Application}), run here with LuaJ on an Application given as
 * YAML. Argo CD runs the same script with gopher-lua: a global {@code obj} (the object as a table, lists 1-based) and
 * a returned table {@code {status, message}}.
 */
final class ApplicationHealth {

    static final String KEY = "resource.customizations.health.argoproj.io_Application";

    record Status(String status, String message) {
    }

    private final String script;

    private ApplicationHealth(String script) {
        this.script = script;
    }

    static ApplicationHealth ofRepository() {
        Map<String, Object> configMap = Yamls.parseMap(Repository.read(".argocd/config/argocd-cm.yaml"));
        String script = Yamls.string(configMap, "data", KEY);
        if (script == null) {
            throw new IllegalStateException(".argocd/config/argocd-cm.yaml has no " + KEY);
        }
        return new ApplicationHealth(script);
    }

    Status of(Map<String, Object> application) {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(application));
        LuaValue result = globals.load(script, KEY).call();
        return new Status(result.get("status").tojstring(), result.get("message").optjstring(""));
    }

    private static LuaValue toLua(Object value) {
        if (value == null) {
            return LuaValue.NIL;
        }
        if (value instanceof Map<?, ?> map) {
            LuaTable table = new LuaTable();
            map.forEach((key, item) -> table.set(String.valueOf(key), toLua(item)));
            return table;
        }
        if (value instanceof List<?> list) {
            LuaTable table = new LuaTable();
            for (int index = 0; index < list.size(); index++) {
                table.set(index + 1, toLua(list.get(index)));
            }
            return table;
        }
        if (value instanceof Boolean bool) {
            return LuaValue.valueOf(bool);
        }
        if (value instanceof Integer number) {
            return LuaValue.valueOf(number);
        }
        if (value instanceof Number number) {
            return LuaValue.valueOf(number.doubleValue());
        }
        return LuaValue.valueOf(String.valueOf(value));
    }
}
