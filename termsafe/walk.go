package termsafe

import "reflect"

// CleanAll cleans, in place and with Clean, every string that v (a
// pointer) reaches through structs, slices, arrays, maps and pointers: the
// one call a package makes where outside data enters, so that a field added
// later is cleaned too. Unexported fields are left alone (they are not
// outside text: time.Time's, for one).
func CleanAll(v any) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return
	}
	cleanValue(rv.Elem())
}

func cleanValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			if s := v.String(); !safe(s, false) {
				v.SetString(Clean(s))
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			cleanValue(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				cleanValue(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		if !holdsText(v.Type().Elem()) {
			return // bytes and numbers: nothing to clean, and no need to visit each
		}
		for i := range v.Len() {
			cleanValue(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() || v.Type().Elem().Kind() != reflect.String {
			return // maps of other values are numbers here; cleaning them would need copies
		}
		for _, k := range v.MapKeys() {
			if s := v.MapIndex(k).String(); !safe(s, false) {
				v.SetMapIndex(k, reflect.ValueOf(Clean(s)).Convert(v.Type().Elem()))
			}
		}
	}
}

// holdsText reports whether a value of type t may reach a string.
func holdsText(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Struct, reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Array, reflect.Map:
		return true
	}
	return false
}
