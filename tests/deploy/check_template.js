#!/usr/bin/env node
// Checks a CloudFormation template (JSON) against the CloudFormation resource specification
// that @aws-cdk/cfnspec carries: every resource type exists, every property is one the type
// has, required properties are present, values have the specified type (primitive, list, map
// or property type, recursively), Fn::GetAtt names an attribute the type has, and Ref,
// Fn::GetAtt and Fn::Sub name parameters, resources or pseudo parameters that exist.
// Intrinsic functions stand for a value of any type (their result is only known at deploy).
//
// Usage: node check_template.js TEMPLATE.json
// Prints {"errors": [...], "checked": {TYPE: count}} and exits 1 when there are errors.
'use strict';

const fs = require('fs');
const path = require('path');

const spec = require(path.join(__dirname, 'node_modules', '@aws-cdk', 'cfnspec', 'spec',
                               'specification.json'));
const template = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

const errors = [];
const checked = {};
const parameters = template.Parameters || {};
const resources = template.Resources || {};
const conditions = template.Conditions || {};
const pseudo = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue',
                        'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName',
                        'AWS::URLSuffix']);
const parameterTypes = new Set(['String', 'Number', 'List<Number>', 'CommaDelimitedList']);

function isIntrinsic(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') ||
                               keys[0] === 'Condition');
}

function checkIntrinsic(value, where) {
  const [name] = Object.keys(value);
  const arg = value[name];
  if (name === 'Ref') {
    if (!(arg in parameters) && !(arg in resources) && !pseudo.has(arg)) {
      errors.push(`${where}: Ref to ${arg}, which is no parameter, resource or pseudo parameter`);
    }
  } else if (name === 'Fn::GetAtt') {
    const [logical, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
    const resource = resources[logical];
    if (!resource) {
      errors.push(`${where}: Fn::GetAtt on ${logical}, which is no resource`);
    } else {
      const type = spec.ResourceTypes[resource.Type];
      if (type && !(type.Attributes && attribute in type.Attributes)) {
        errors.push(`${where}: ${resource.Type} has no attribute ${attribute}`);
      }
    }
  } else if (name === 'Fn::Sub') {
    const text = Array.isArray(arg) ? arg[0] : arg;
    const vars = Array.isArray(arg) ? arg[1] || {} : {};
    if (typeof text !== 'string') {
      errors.push(`${where}: Fn::Sub needs a string`);
      return;
    }
    for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
      const ref = match[1].split('.')[0];
      if (!(ref in vars) && !(ref in parameters) && !(ref in resources) && !pseudo.has(ref)) {
        errors.push(`${where}: Fn::Sub names \${${match[1]}}, which is not defined`);
      }
    }
  } else if (!['Fn::Join', 'Fn::If', 'Fn::Select', 'Fn::Split', 'Fn::Equals', 'Fn::Not',
               'Fn::And', 'Fn::Or', 'Fn::Base64', 'Fn::FindInMap', 'Fn::GetAZs',
               'Fn::ImportValue', 'Fn::Cidr', 'Fn::ToJsonString', 'Fn::Length',
               'Condition'].includes(name)) {
    errors.push(`${where}: unknown intrinsic function ${name}`);
  }
  // Check intrinsics nested in the arguments too.
  walkIntrinsics(arg, where);
}

function walkIntrinsics(value, where) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkIntrinsics(v, `${where}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    if (isIntrinsic(value)) {
      checkIntrinsic(value, where);
      return;
    }
    for (const [k, v] of Object.entries(value)) walkIntrinsics(v, `${where}.${k}`);
  }
}

function checkPrimitive(value, primitive, where) {
  if (isIntrinsic(value)) {
    checkIntrinsic(value, where);
    return;
  }
  const ok = {
    String: () => typeof value === 'string',
    Integer: () => Number.isInteger(value) || /^-?\d+$/.test(String(value)),
    Long: () => Number.isInteger(value) || /^-?\d+$/.test(String(value)),
    Double: () => typeof value === 'number' || /^-?\d+(\.\d+)?$/.test(String(value)),
    Boolean: () => typeof value === 'boolean' || value === 'true' || value === 'false',
    Timestamp: () => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
    Json: () => typeof value === 'object' || typeof value === 'string',
  }[primitive];
  if (!ok) {
    errors.push(`${where}: the specification's primitive type ${primitive} is not known here`);
  } else if (!ok()) {
    errors.push(`${where}: expected ${primitive}, got ${JSON.stringify(value).slice(0, 80)}`);
  }
}

function checkItem(value, resourceType, primitive, type, where) {
  if (primitive) checkPrimitive(value, primitive, where);
  else checkStruct(value, resourceType, type, where);
}

function checkValue(value, resourceType, propertySpec, where) {
  if (isIntrinsic(value)) {
    checkIntrinsic(value, where);
    return;
  }
  if (propertySpec.PrimitiveType) {
    checkPrimitive(value, propertySpec.PrimitiveType, where);
  } else if (propertySpec.Type === 'List') {
    if (!Array.isArray(value)) {
      errors.push(`${where}: expected a list`);
      return;
    }
    value.forEach((item, i) => checkItem(item, resourceType, propertySpec.PrimitiveItemType,
                                         propertySpec.ItemType, `${where}[${i}]`));
  } else if (propertySpec.Type === 'Map') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${where}: expected a map`);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      checkItem(v, resourceType, propertySpec.PrimitiveItemType, propertySpec.ItemType,
                `${where}.${k}`);
    }
  } else if (propertySpec.Type) {
    checkStruct(value, resourceType, propertySpec.Type, where);
  }
}

function checkProperties(properties, propertySpecs, resourceType, where) {
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    errors.push(`${where}: expected an object of properties`);
    return;
  }
  for (const [name, value] of Object.entries(properties)) {
    const propertySpec = propertySpecs[name];
    if (!propertySpec) {
      errors.push(`${where}: ${resourceType} has no property ${name}`);
      continue;
    }
    checkValue(value, resourceType, propertySpec, `${where}.${name}`);
  }
  for (const [name, propertySpec] of Object.entries(propertySpecs)) {
    if (propertySpec.Required && !(name in properties)) {
      errors.push(`${where}: required property ${name} is missing`);
    }
  }
}

function checkStruct(value, resourceType, type, where) {
  if (isIntrinsic(value)) {
    checkIntrinsic(value, where);
    return;
  }
  const structSpec = spec.PropertyTypes[`${resourceType}.${type}`] || spec.PropertyTypes[type];
  if (!structSpec) {
    errors.push(`${where}: the specification has no property type ${resourceType}.${type}`);
    return;
  }
  if (structSpec.PrimitiveType) {  // a property type that is an alias of a primitive
    checkPrimitive(value, structSpec.PrimitiveType, where);
    return;
  }
  checkProperties(value, structSpec.Properties || {}, resourceType, where);
}

for (const [name, parameter] of Object.entries(parameters)) {
  if (!parameterTypes.has(parameter.Type) && !String(parameter.Type).startsWith('AWS::')) {
    errors.push(`Parameters.${name}: unknown parameter type ${parameter.Type}`);
  }
}
for (const [name, condition] of Object.entries(conditions)) {
  walkIntrinsics(condition, `Conditions.${name}`);
}
if (Object.keys(resources).length === 0) errors.push('the template has no resources');
for (const [logical, resource] of Object.entries(resources)) {
  const where = `Resources.${logical}`;
  if (!/^[A-Za-z0-9]+$/.test(logical)) errors.push(`${where}: logical IDs must be alphanumeric`);
  const typeSpec = spec.ResourceTypes[resource.Type];
  if (!typeSpec) {
    errors.push(`${where}: unknown resource type ${resource.Type}`);
    continue;
  }
  checked[resource.Type] = (checked[resource.Type] || 0) + 1;
  if (resource.Condition && !(resource.Condition in conditions)) {
    errors.push(`${where}: Condition ${resource.Condition} is not defined`);
  }
  checkProperties(resource.Properties || {}, typeSpec.Properties || {}, resource.Type,
                  `${where}.Properties`);
}
for (const [name, output] of Object.entries(template.Outputs || {})) {
  walkIntrinsics(output.Value, `Outputs.${name}.Value`);
}

process.stdout.write(JSON.stringify({errors, checked, specification: spec.ResourceSpecificationVersion}, null, 2) + '\n');
process.exit(errors.length === 0 ? 0 : 1);
